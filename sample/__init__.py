"""The sample partnership: Doncaster's 2021-22 training year, loaded through the public HTTP API.

`sample.partnership` makes the events (pure, deterministic); `sample.load` posts them to the
training service as a partner system would: `python -m sample.load --training-url URL --key KEY`.
"""
