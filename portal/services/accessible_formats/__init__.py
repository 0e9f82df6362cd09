"""Updates a victim needs in a form GOV.UK Notify cannot send, as officers' tasks (issue 17)."""
