"""Floor 3: commands that are not assets: `tryghed baseline freeze` and `tryghed fetch dst`."""
