#!/bin/sh
# Stands in for $EDITOR in the tour: fills the capture template the way a person would.
awk '{ print }
     /^## Notes/           { getline; print; print "Vented about the reorg; felt better after the walk." }
     /^## Advice/          { getline; print; print "- Ask for the stretch project directly." }
     /^## Positive action/ { getline; print; print "- Ask for the stretch project by Friday" }' "$1" > "$1.filled" &&
mv "$1.filled" "$1"
