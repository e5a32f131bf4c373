"""Importers and exporters: pure parsers (text -> records) and writers (records -> text).

Nothing here touches the database; `mentormap.services.interop.imports` applies records to a
network.
"""
