# Waits until ARGV[0] Sidekiq processes are up.
require "sidekiq"
require "sidekiq/api"
deadline = Time.now + 60
sleep 0.05 while Sidekiq::ProcessSet.new.size < Integer(ARGV[0]) && Time.now < deadline
exit(Sidekiq::ProcessSet.new.size >= Integer(ARGV[0]) ? 0 : 1)
