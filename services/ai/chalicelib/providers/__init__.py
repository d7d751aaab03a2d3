"""AI providers: one interface (base.Provider), two real implementations (offline, bedrock)."""
