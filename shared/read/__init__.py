"""The read side: a projection's writes (Upsert) and the sink they go to."""
