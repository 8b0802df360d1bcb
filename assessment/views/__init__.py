"""Assessment pages: rankings, explanations and the 通报 (ranking), years and indicators (setup)."""
