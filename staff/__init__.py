"""The staff page for the advice line's volunteers (`/medewerkers`): a small Sanic app.

`make staff` starts it on loopback; `make staff-user` creates accounts. See README "Voor de
vrijwilligers van de advieslijn".
"""
