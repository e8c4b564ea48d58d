"""Text handling shared by every layer: normalisation and sentence splitting
(:mod:`.normalise`) and the one decoder of untrusted JSON (:mod:`.json_input`)."""
