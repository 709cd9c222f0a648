"""The Infobip HTTP surface: parse, call the gateway, render in the family's shape."""
