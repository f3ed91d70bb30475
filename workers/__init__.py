"""Background jobs on rq: job functions take ids, call domain services, and are idempotent."""
