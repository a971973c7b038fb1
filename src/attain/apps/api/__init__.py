"""The REST API (django-ninja, /api/): the same data and the same row-level security as the portals."""
