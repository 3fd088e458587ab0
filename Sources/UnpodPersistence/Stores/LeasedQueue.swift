/// The tables worked through like a queue by any node, each row claimed with a lease: a row is due
/// when it is `pending`, its `available_at` has come and no live `lease_until` holds it; a claim
/// adds one to `attempts`, which fences a late answer from a claim whose lease ran out.
enum LeasedQueue: String {
    case analyticsResults = "analytics_results"
    case webhookDeliveries = "webhook_deliveries"
}
