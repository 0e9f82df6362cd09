"""A victim's communication preferences and needs: the rules, versions, contact points and officers' reviews."""
