"""Insight for the advice line: anonymous counts from Rasa's events (insight/broker.py), the weekly
overview (staff page and `make report`), and the export of labelled messages (`make export-nlu`)."""
