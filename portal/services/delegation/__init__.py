"""Support workers helping victims: delegations, what they grant, and the work they allow."""
