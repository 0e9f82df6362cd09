"""Cases and their updates: recording, timelines, Victims' Code timeliness and officers' views."""
