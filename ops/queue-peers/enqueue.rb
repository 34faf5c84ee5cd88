# Pushes ARGV[0] no-op jobs, 1,000 per bulk push.
require "sidekiq"
require_relative "noop_job"
total = Integer(ARGV[0])
(total / 1000.0).ceil.times do |batch|
  count = [1000, total - batch * 1000].min
  Sidekiq::Client.push_bulk("class" => NoopJob, "args" => Array.new(count) { [] })
end
