# Returns once every job was fetched (the few still running, at most the workers'
# threads, finish within milliseconds); gives up after ARGV[0] seconds.
require "sidekiq"
require "sidekiq/api"
queue = Sidekiq::Queue.new("default")
deadline = Time.now + Float(ARGV[0])
while queue.size > 0
  abort "Sidekiq did not finish in time" if Time.now > deadline
  sleep 0.005
end
