"""`make shell`: chat with the bot in the terminal.

Talks over the REST channel to a running bot (`make run`) when one answers on RASA_PORT (default
5005); otherwise it starts the action server and the Rasa server itself for the session.
"""

from __future__ import annotations

import os
import sys
import uuid
from typing import Optional

import requests

from harness.servers import LOOPBACK, BotServers, ServerError, port_in_use


def chat(rest_url: str) -> None:
    sender = f"shell-{uuid.uuid4().hex}"
    print("Typ je bericht (Ctrl+D of 'exit' om te stoppen). Noem geen namen.\n")
    while True:
        try:
            text = input("jij > ").strip()
        except EOFError:
            print()
            return
        if text in ("exit", "quit"):
            return
        if not text:
            continue
        try:
            response = requests.post(rest_url, json={"sender": sender, "message": text}, timeout=30)
        except requests.RequestException as error:
            print(f"(de bot is niet bereikbaar: {error})")
            continue
        if response.status_code != 200:
            print(f"(fout {response.status_code}: {response.text})")
            continue
        for message in response.json():
            if message.get("text"):
                print(f"bot > {message['text']}")
            for button in message.get("buttons", []):
                print(f"      [{button['title']}] -> typ: {button['payload']}")


def main() -> int:
    port = int(os.environ.get("RASA_PORT", "5005"))
    servers: Optional[BotServers] = None
    if port_in_use(port):
        rest_url = f"http://{LOOPBACK}:{port}/webhooks/rest/webhook"
    else:
        print("shell: starting the bot for this session (about 20 s)...", flush=True)
        try:
            servers = BotServers().start()
        except ServerError as error:
            print(f"shell: {error}", file=sys.stderr)
            return 1
        rest_url = servers.rest_url
    try:
        chat(rest_url)
    finally:
        if servers:
            servers.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
