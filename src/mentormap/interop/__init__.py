"""Importers and exporters: pure parsers (text -> records) and writers (records -> text).

Nothing here touches the database; `mentormap.services.imports` applies records to a network.
"""
