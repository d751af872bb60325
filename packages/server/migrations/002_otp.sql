-- Phone and email one-time codes (protocol §4.10–§4.11) and the notifier outbox.
-- One otp_codes row per send: a resend is a new code, so the rows are also the send history the limits count.
-- Times are written by the server's clock (deps.now), never by now(), so the limit windows and tests agree.
CREATE TABLE otp_codes (
  id text PRIMARY KEY,
  session_id text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  organization_id text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('live','sandbox')),
  channel text NOT NULL CHECK (channel IN ('phone','email')),
  -- HMAC of mode, channel and the normalised destination: per-destination limits without storing the number or address.
  destination_key text NOT NULL,
  destination_masked text NOT NULL,
  -- HMAC-SHA256 of session, channel, destination key and code with the server's OTP secret; never the code.
  code_hash bytea NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  used_at timestamptz,
  superseded_at timestamptz,
  -- The destination and code sealed (AES-256-GCM) for the delivery job; erased once delivered or given up.
  sealed_message bytea,
  delivery_status text NOT NULL DEFAULT 'queued' CHECK (delivery_status IN ('queued','sent','failed','skipped')),
  delivery_attempts integer NOT NULL DEFAULT 0,
  delivery_error text,
  provider text,
  provider_id text,
  delivered_at timestamptz
);
CREATE INDEX otp_codes_session_idx ON otp_codes (session_id, channel, created_at DESC);
CREATE INDEX otp_codes_destination_idx ON otp_codes (destination_key, created_at DESC);

-- Every guess that was actually compared (refused guesses never get this far), for abuse review. The guess is not stored.
CREATE TABLE otp_attempts (
  id bigserial PRIMARY KEY,
  code_id text NOT NULL REFERENCES otp_codes(id) ON DELETE CASCADE,
  session_id text NOT NULL,
  succeeded boolean NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX otp_attempts_code_idx ON otp_attempts (code_id);

-- The embedded notifier: messages kept in the database (and printed) instead of sent, for development and sandbox.
-- It holds codes in clear on purpose: it is the delivery channel itself, readable only with a private key.
CREATE TABLE outbox_messages (
  id text PRIMARY KEY,
  -- The sender's stable message reference: a retried delivery finds its message already filed.
  reference text NOT NULL UNIQUE,
  organization_id text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('live','sandbox')),
  session_id text,
  channel text NOT NULL CHECK (channel IN ('email','sms')),
  recipient text NOT NULL,
  subject text,
  body text NOT NULL,
  html text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_messages_owner_idx ON outbox_messages (organization_id, mode, created_at DESC, id DESC);
