"""The quality of what victims are told: checks on what agencies send, victims saying whether an update
was clear, officers reviewing a sample, the quality report and Code compliance by right."""
