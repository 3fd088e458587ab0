import Foundation

/// The dashboard's files (`Resources/Dashboard/`: Mustache templates, the stylesheet, the
/// script, the sidebar's icons), read from the target's bundled resources once, at start.
enum DashboardResources {
    /// A file's text, without the newline that ends the file (so an icon or a template renders
    /// exactly its content). A missing file is a broken installation, not a request's fault.
    static func text(_ name: String, _ fileExtension: String, in folder: String = "Dashboard") -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: fileExtension, subdirectory: folder),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            fatalError("\(folder)/\(name).\(fileExtension) is missing from the UnpodServer resources beside the binary")
        }
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
