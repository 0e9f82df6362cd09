"""The agency API's use cases: clients and their keys, authentication, ingestion, victims and the communications log."""
