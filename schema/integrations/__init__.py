"""The integrations domain: the event feed (`events(after:)`), webhooks and their deliveries —
what an integrator polls, subscribes to or is sent."""
