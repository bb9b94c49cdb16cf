"""Demo: sets up the embedded default — catalogue, bundled data, a demo municipality with a
demo plan and a demo login — by calling the services and factories of the domain packages.
"""
