"""What the municipality's IT watches: health endpoints and Prometheus metrics of each process.

- `health`: the checks behind `/health/live` and `/health/ready` (database, migrations, Redis,
  model, answer library);
- `metrics`: the process's Prometheus metrics and who may read them;
- `database_metrics`: figures read from the database at each scrape (the desk exposes them);
- `routes`: the Sanic routes, the same on the Rasa server, the action server and the desk.
"""
