"""The pure core: differential, triage and plan.

Nothing in this package does I/O or imports the store, the web app,
SQLAlchemy or FastAPI (a test checks it). Functions take frozen objects and
return frozen objects.
"""
