"""The routes of the web app: the interview and result pages, and the REST API."""
