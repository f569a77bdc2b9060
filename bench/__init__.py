"""`make bench`: seed a site, serve it as users do, drive it with wrk, compare with baselines.

Not part of the test suite and never run by CI: numbers depend on the machine. Results go to
`bench/results/<timestamp>.json` and `.md`; read the ratios, not the absolute rates.
"""
