"""What every domain shares: who is acting, access rules, audit, errors, paging, redaction, roles and the Notify service's permissions."""
