"""The review room: the queue, duplicate detection and flags, audit pages (考核办)."""
