"""Redis stores for running several Rasa replicas on one set of conversations (`make run-scaled`)."""
