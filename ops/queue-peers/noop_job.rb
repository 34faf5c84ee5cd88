# The no-op job the Sidekiq peer runs (ops/queue_peer_benchmark.py).
require "sidekiq"
class NoopJob
  include Sidekiq::Worker
  def perform; end
end
