"""The web app and REST API: an adapter around ``heelpath.assess`` (see ``app.create_app``)."""
