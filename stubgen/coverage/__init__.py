"""Coverage: the rule catalogue run over the model, scores, baseline, gate and reports."""
