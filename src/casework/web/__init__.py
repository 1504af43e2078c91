"""The live site: until the web issue lands, a plain list and a page per published record."""
