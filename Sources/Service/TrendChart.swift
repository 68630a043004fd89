internal import Foundation
internal import Promotion

/// Metric trends of one model as inline SVG data: one chart per metric, one point per promotion that reported it,
/// oldest first. Coordinates are numbers computed here; names and labels go through the template's escaping.
enum TrendChart {
    static let width = 480.0, height = 140.0, left = 40.0, top = 10.0, bottom = 120.0

    static func charts(_ promotions: [PromotionRecord]) -> [[String: Any]] {
        let metrics = Set(promotions.flatMap { $0.request.metrics.keys }).sorted()
        return metrics.map { metric in
            let points = promotions.compactMap { record in record.request.metrics[metric].map { (record.request.version, $0) } }
            let values = points.map(\.1)
            let low = values.min() ?? 0, high = values.max() ?? 0
            let span = high - low == 0 ? 1 : high - low
            let step = points.count > 1 ? (width - left - 10) / Double(points.count - 1) : 0
            let dots: [[String: Any]] = points.enumerated().map { index, point in
                let x = left + step * Double(index)
                let y = bottom - (point.1 - low) / span * (bottom - top)
                return ["x": format(x), "y": format(y), "label": "\(point.0): \(MetricFormat.number(point.1))"]
            }
            return [
                "metric": metric, "width": format(width), "height": format(height), "bottom": format(bottom), "right": format(width - 10),
                "min": MetricFormat.number(low), "max": MetricFormat.number(high),
                "points": dots.map { "\($0["x"]!),\($0["y"]!)" }.joined(separator: " "), "dots": dots,
            ]
        }
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
