// Saving and loading a PCAModel as JSON (one object: the fields of PCAModel plus a format tag), written to a
// temporary file and renamed, so a crash never leaves half a model. Doubles round-trip exactly (JSONEncoder prints
// the shortest representation that reads back to the same Double).
// Leaves out: binary formats (a 384×384 model is ~3 MB of JSON, small enough), versions other than 1.

import Foundation

extension PCAModel {
    /// The `format` field of a model file.
    public static let fileFormat = "RankerDistillation.PCAModel/1"

    private struct File: Codable {
        var format: String
        var model: PCAModel
    }

    /// Writes the model to `path` atomically (temporary file in the same directory, then rename).
    public func save(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try encoder.encode(File(format: Self.fileFormat, model: self)) }
        catch { throw PCAError.file(path: path, message: "could not encode the model: \(error)") }
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) }
        catch { throw PCAError.file(path: path, message: "could not write: \(error.localizedDescription)") }
    }

    /// Reads a model written by `save(to:)`, checking that its shapes agree.
    public static func load(from path: String) throws -> PCAModel {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) }
        catch { throw PCAError.file(path: path, message: "could not read: \(error.localizedDescription)") }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) }
        catch { throw PCAError.badModel(path: path, message: "\(error)") }
        guard file.format == fileFormat else {
            throw PCAError.badModel(path: path, message: "format '\(file.format)', expected '\(fileFormat)'")
        }
        let m = file.model
        guard m.dimension >= 1, m.mean.count == m.dimension,
              m.components.count == m.explainedVariance.count * m.dimension else {
            throw PCAError.badModel(path: path, message: "d = \(m.dimension), mean [\(m.mean.count)], " +
                                    "components [\(m.components.count)], explained variance [\(m.explainedVariance.count)] disagree")
        }
        return m
    }

    // Decoding goes through the memberwise initialiser's checks by hand (Codable synthesis would skip them).
    enum CodingKeys: String, CodingKey {
        case dimension, sampleCount, mean, components, explainedVariance, totalVariance, denseCentering
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = try c.decode(Int.self, forKey: .dimension)
        let mean = try c.decode([Double].self, forKey: .mean)
        let components = try c.decode([Double].self, forKey: .components)
        let variance = try c.decode([Double].self, forKey: .explainedVariance)
        guard d >= 1, mean.count == d, components.count == variance.count * d else {
            throw DecodingError.dataCorruptedError(forKey: .components, in: c, debugDescription:
                "d = \(d), mean [\(mean.count)], components [\(components.count)], explained variance [\(variance.count)] disagree")
        }
        self.init(dimension: d, sampleCount: try c.decode(Int.self, forKey: .sampleCount), mean: mean,
                  components: components, explainedVariance: variance,
                  totalVariance: try c.decode(Double.self, forKey: .totalVariance),
                  denseCentering: try c.decodeIfPresent(Bool.self, forKey: .denseCentering) ?? false)
    }
}
