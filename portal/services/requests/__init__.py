"""What victims ask of the agencies through the portal (issue 16): reviews of decisions, personal
statements and complaints. `kinds` holds each kind's rules and targets, `lifecycle` makes and moves
requests."""
