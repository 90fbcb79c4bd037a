import WebUI

// The texts of the replicas page about refused requests, Arabic then French.

extension Localized {
    static let refusals = Localized(ar: "طلبات مرفوضة", fr: "Requêtes refusées")
    static let replicasRefused = Localized(ar: "نسخ رُفضت طلباتها", fr: "Répliques dont des requêtes ont été refusées")
    static let refusalHint = Localized(
        ar: "رفض الخادم ما ادعته هذه النسخة ولم يطبق منه شيئا. إن تكرر، ألغِ اعتمادها (hub-server revoke).",
        fr:
            "Le hub a refusé ce que cette réplique affirmait et n’en a rien appliqué. Si cela se répète, révoquez-la (hub-server revoke)."
    )
    static let lastRefusal = Localized(ar: "آخر رفض", fr: "Dernier refus")
}
