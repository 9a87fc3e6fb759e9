"""Parsers turn source text into facts (URLs, calls, imports, …) with host-file offsets."""
