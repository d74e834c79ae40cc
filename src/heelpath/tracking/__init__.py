"""Follow-up: the diary, VISA-A, the next loading step, escalation and chart series.

Pure functions over plain values: no database, no web (``store/`` keeps the
records, ``web/`` shows them). Dates are ``datetime.date``; "today" is passed in.
"""
