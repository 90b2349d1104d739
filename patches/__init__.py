"""Small, documented fixes to Rasa 3.6.21 itself, applied when the Rasa server loads our channels.

Each patch names the Rasa function it replaces, keeps its behaviour, and has tests in
tests/unit/test_patches.py. Remove a patch when the Rasa version it targets is left behind.
"""
