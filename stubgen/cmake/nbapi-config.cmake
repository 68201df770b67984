# nbapi's CMake helper: nbapi_add_stub(), which takes nanobind_add_stub()'s arguments.
#
#   find_program(NBAPI_EXECUTABLE nbapi REQUIRED)
#   execute_process(COMMAND "${NBAPI_EXECUTABLE}" --cmake-dir
#                   OUTPUT_VARIABLE nbapi_DIR OUTPUT_STRIP_TRAILING_WHITESPACE)
#   find_package(nbapi CONFIG REQUIRED)
#   nbapi_add_stub(mypkg_stubs INSTALL_TIME RECURSIVE MODULE mypkg OUTPUT_PATH .
#                  PYTHON_PATH . MARKER_FILE mypkg/py.typed PATTERN_FILE mypkg.pat)
#
# A nanobind_add_stub() call becomes an nbapi_add_stub() call with the same arguments
# (MODULE, OUTPUT, OUTPUT_PATH, PYTHON_PATH, PATTERN_FILE, MARKER_FILE, DEPENDS, COMPONENT,
# INCLUDE_PRIVATE, EXCLUDE_DOCSTRINGS, EXCLUDE_VALUES, RECURSIVE, INSTALL_TIME,
# EXCLUDE_FROM_ALL, VERBOSE). One difference: a failed stub generation fails the build or
# the install, where nanobind's goes on without stubs.

include_guard(GLOBAL)

# The nbapi command: beside the Python CMake found, else on the PATH.
if(NOT NBAPI_EXECUTABLE)
  if(NOT Python_EXECUTABLE)
    find_package(Python COMPONENTS Interpreter REQUIRED)
  endif()
  get_filename_component(_nbapi_python_bin "${Python_EXECUTABLE}" DIRECTORY)
  find_program(NBAPI_EXECUTABLE nbapi HINTS "${_nbapi_python_bin}" NO_CACHE)
  if(NOT NBAPI_EXECUTABLE)
    message(FATAL_ERROR "nbapi: the nbapi command is not installed beside ${Python_EXECUTABLE}")
  endif()
endif()

function(nbapi_add_stub name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG
    "VERBOSE;INCLUDE_PRIVATE;EXCLUDE_DOCSTRINGS;EXCLUDE_VALUES;INSTALL_TIME;RECURSIVE;EXCLUDE_FROM_ALL"
    "MODULE;COMPONENT;OUTPUT_PATH"
    "PYTHON_PATH;DEPENDS;MARKER_FILE;OUTPUT;PATTERN_FILE")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "nbapi_add_stub(${name}): unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_MODULE)
    message(FATAL_ERROR "nbapi_add_stub(${name}): a MODULE argument must be given")
  endif()

  set(args stubs -m "${ARG_MODULE}")
  set(outputs "")
  if(NOT ARG_VERBOSE)
    list(APPEND args -q)
  endif()
  if(ARG_INCLUDE_PRIVATE)
    list(APPEND args -P)
  endif()
  if(ARG_EXCLUDE_DOCSTRINGS)
    list(APPEND args -D)
  endif()
  if(ARG_EXCLUDE_VALUES)
    list(APPEND args --exclude-values)
  endif()
  if(ARG_RECURSIVE)
    list(APPEND args -r)
  endif()
  foreach(path IN LISTS ARG_PYTHON_PATH)
    list(APPEND args -i "${path}")
  endforeach()
  foreach(file IN LISTS ARG_PATTERN_FILE)
    list(APPEND args -p "${file}")
  endforeach()
  foreach(file IN LISTS ARG_MARKER_FILE)
    list(APPEND args -M "${file}")
    list(APPEND outputs "${file}")
  endforeach()

  list(LENGTH ARG_OUTPUT output_count)
  if(ARG_RECURSIVE)
    if(NOT ARG_INSTALL_TIME AND output_count EQUAL 0 AND NOT ARG_OUTPUT_PATH)
      message(FATAL_ERROR "nbapi_add_stub(${name}): RECURSIVE needs OUTPUT or OUTPUT_PATH")
    endif()
  else()
    if(output_count EQUAL 0 AND NOT ARG_INSTALL_TIME)
      message(FATAL_ERROR "nbapi_add_stub(${name}): an OUTPUT argument must be given")
    endif()
    if(output_count GREATER 0 AND ARG_OUTPUT_PATH)
      message(FATAL_ERROR "nbapi_add_stub(${name}): OUTPUT and OUTPUT_PATH go together only with RECURSIVE")
    endif()
    if(output_count GREATER 1)
      message(FATAL_ERROR "nbapi_add_stub(${name}): more than one OUTPUT needs RECURSIVE")
    endif()
  endif()
  if(ARG_OUTPUT_PATH)
    list(APPEND args -O "${ARG_OUTPUT_PATH}")
  endif()
  foreach(output IN LISTS ARG_OUTPUT)
    if(NOT ARG_RECURSIVE)
      list(APPEND args -o "${output}")
    endif()
    list(APPEND outputs "${output}")
  endforeach()

  set(command "${NBAPI_EXECUTABLE}" ${args})
  if(NOT ARG_INSTALL_TIME)
    set(extra "")
    if(ARG_VERBOSE)
      set(extra USES_TERMINAL)
    endif()
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND ${command}
      WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}"
      DEPENDS ${ARG_DEPENDS} ${ARG_PATTERN_FILE}
      COMMENT "nbapi: stubs of ${ARG_MODULE}"
      VERBATIM
      ${extra})
    add_custom_target(${name} ALL DEPENDS ${outputs})
  else()
    set(extra "")
    if(ARG_COMPONENT)
      list(APPEND extra COMPONENT ${ARG_COMPONENT})
    endif()
    if(ARG_EXCLUDE_FROM_ALL)
      list(APPEND extra EXCLUDE_FROM_ALL)
    endif()
    # \${CMAKE_INSTALL_PREFIX}, not $<INSTALL_PREFIX>: CMake before 3.27 reads it too.
    install(CODE "
      set(nbapi_command \"${command}\")
      execute_process(COMMAND \${nbapi_command}
                      WORKING_DIRECTORY \"\${CMAKE_INSTALL_PREFIX}\"
                      RESULT_VARIABLE nbapi_status)
      if(nbapi_status)
        message(FATAL_ERROR \"nbapi_add_stub(${name}): stubs of ${ARG_MODULE} failed (exit \${nbapi_status})\")
      endif()
    " ${extra})
  endif()
endfunction()
