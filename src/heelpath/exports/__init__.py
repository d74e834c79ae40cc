"""Ways to take a result away: a printable PDF plan (pdf.py) and FHIR R4 resources (fhir.py).

Both are adapters around the contract's answer: they word and encode it, and
never decide anything the engine did not.
"""
