namespace MultiModalSearch.Models.Resolution;

/// <summary>Why a model could not be resolved, so callers can pick an exit code or a hint.</summary>
public enum ModelUnavailableReason
{
    /// <summary>A local folder, or the Hub repository, lacks a file the model needs.</summary>
    MissingFiles,
    /// <summary>Only pickle weights (.bin/.pt) exist; they can run arbitrary code, so they are never loaded.</summary>
    PickleWeightsOnly,
    /// <summary>The Hub could not be reached (or offline mode is on) and the cache has no complete snapshot.</summary>
    HubUnreachable,
    /// <summary>The repository does not exist, or is private and no valid token was given.</summary>
    NotFound,
    /// <summary>The token was rejected or is required.</summary>
    Unauthorized,
    /// <summary>The repository is gated: its terms must be accepted on the website.</summary>
    Gated,
    /// <summary>The requested branch, tag or commit does not exist.</summary>
    RevisionNotFound,
    /// <summary>A downloaded file did not match its checksum or announced size.</summary>
    Corrupt,
    /// <summary>The argument is neither an existing folder nor a Hub id.</summary>
    InvalidId,
    /// <summary>The server answered in a way the Hub protocol does not allow.</summary>
    ProtocolError,
    /// <summary>config.json describes a kind of model this program does not run.</summary>
    Unsupported,
}
