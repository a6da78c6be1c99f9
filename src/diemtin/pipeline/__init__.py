"""The one orchestrator: feeds and archives in, clean stored articles out.

crawl.py    due feeds -> entries -> fetched pages -> extracted -> stored
importing.py archives -> records -> (extracted) -> stored, resumable
prepare.py  the pure step both share: clean text, identity, category
persist.py  the write both share: an article and its place in the store
"""
