"""Input channels of the Rasa server (see credentials.yml).

Rasa must be started with our patches (`python -m patches run ...`, see patches/__main__.py);
loading the channels in a Rasa started any other way logs a warning that says so.
"""

import logging

import patches

if not patches.all_applied():
    logging.getLogger(__name__).warning(
        "Rasa runs without the project's patches (patches/): start it with "
        "`.venv/bin/python -m patches run ...` as `make run` does."
    )
