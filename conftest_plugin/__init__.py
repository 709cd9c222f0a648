"""The pytest plugin for the Infobip SMS simulator (registered through ``pytest11``)."""
