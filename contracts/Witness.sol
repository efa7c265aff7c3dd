// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

/// @title Witness
/// @notice An external witness for other ledgers. Anchorers named by the owner, per source chain,
/// record the source's block hashes by height and its reconciliation roots by day (a day may have
/// several runs, each root is kept once). An anchor is written once: the same value again is a
/// no-op, another hash for an anchored height reverts, and nobody (the owner included) can change or
/// remove it. New anchors only move forward (higher height, no earlier day), so a source that went
/// back (a rebuilt or forked ledger) shows up as an error instead of a rewrite.
/// @dev Source chains are named by a bytes32 id (the Lianjian service uses keccak256 of its chain
/// name). Days are written as the number YYYYMMDD (China time on the Lianjian side). Times are this
/// chain's block timestamps, in seconds: the witness proves that a value existed by then.
contract Witness is Ownable2Step {
    /// @notice One anchored value and this chain's block time when it was anchored.
    struct Anchor {
        bytes32 value;
        uint64 time;
    }

    /// @dev Per source chain: the newest anchored height and day, and how many anchors of each.
    struct Source {
        uint64 latestHeight;
        uint32 latestDay;
        uint64 blockAnchors;
        uint64 rootAnchors;
    }

    mapping(bytes32 chain => mapping(address anchorer => bool)) private _anchorers;
    mapping(bytes32 chain => Source) private _sources;
    mapping(bytes32 chain => mapping(uint64 height => Anchor)) private _blocks;
    mapping(bytes32 chain => uint64[]) private _anchoredHeights;
    mapping(bytes32 chain => mapping(uint32 day => mapping(bytes32 root => uint64 time))) private _roots;

    /// @notice The owner allowed (`allowed` true) or stopped an anchorer for `chain`.
    event AnchorerSet(bytes32 indexed chain, address indexed anchorer, bool allowed);
    /// @notice A source block hash was anchored.
    event BlockAnchored(bytes32 indexed chain, uint64 indexed height, bytes32 blockHash, address anchorer);
    /// @notice A reconciliation root of a source day was anchored.
    event RootAnchored(bytes32 indexed chain, uint32 indexed day, bytes32 root, address anchorer);

    /// @notice The caller may not anchor for `chain`.
    error NotAnchorer(bytes32 chain, address caller);
    /// @notice A zero hash or root cannot be anchored (zero means "not anchored").
    error ZeroValue();
    /// @notice `height` is anchored with another hash.
    error BlockConflict(bytes32 chain, uint64 height, bytes32 anchored, bytes32 offered);
    /// @notice A new block anchor must be above the latest anchored height.
    error HeightNotAfterLatest(bytes32 chain, uint64 height, uint64 latest);
    /// @notice A new root anchor must not be for a day before the latest anchored day.
    error DayBeforeLatest(bytes32 chain, uint32 day, uint32 latest);
    /// @notice `day` is not a calendar-shaped YYYYMMDD number.
    error InvalidDay(uint32 day);

    /// @param initialOwner Who manages the anchorer sets (OpenZeppelin Ownable2Step).
    constructor(address initialOwner) Ownable(initialOwner) {}

    /// @notice Allows or stops `anchorer` for source `chain`. Owner only.
    /// @param chain The source chain id.
    /// @param anchorer The account that signs anchoring transactions.
    /// @param allowed True to allow, false to stop.
    function setAnchorer(bytes32 chain, address anchorer, bool allowed) external onlyOwner {
        _anchorers[chain][anchorer] = allowed;
        emit AnchorerSet(chain, anchorer, allowed);
    }

    /// @notice Anchors the hash of the source block at `height`. Idempotent for the same hash.
    /// @dev Reverts with BlockConflict when `height` holds another hash, HeightNotAfterLatest when it
    /// is not anchored and not above the latest anchored height, ZeroValue for a zero hash.
    /// @param chain The source chain id.
    /// @param height The source block number.
    /// @param blockHash The source block's hash (32 bytes, e.g. SM3 or SHA-256).
    /// @return anchored True when this call wrote the anchor, false when it was already there.
    function anchorBlock(bytes32 chain, uint64 height, bytes32 blockHash) external returns (bool anchored) {
        _requireAnchorer(chain);
        if (blockHash == bytes32(0)) revert ZeroValue();
        Anchor storage slot = _blocks[chain][height];
        if (slot.value == blockHash) return false;
        if (slot.value != bytes32(0)) revert BlockConflict(chain, height, slot.value, blockHash);
        Source storage source = _sources[chain];
        if (source.blockAnchors > 0 && height <= source.latestHeight)
            revert HeightNotAfterLatest(chain, height, source.latestHeight);
        (slot.value, slot.time) = (blockHash, uint64(block.timestamp));
        source.latestHeight = height;
        source.blockAnchors += 1;
        _anchoredHeights[chain].push(height);
        emit BlockAnchored(chain, height, blockHash, msg.sender);
        return true;
    }

    /// @notice Anchors a reconciliation root of source day `day` (one per run). Idempotent per root.
    /// @dev Reverts with DayBeforeLatest when the root is new and `day` is before the latest anchored
    /// day, InvalidDay, ZeroValue for a zero root.
    /// @param chain The source chain id.
    /// @param day The day as YYYYMMDD.
    /// @param root The run's reconciliation root (32 bytes).
    /// @return anchored True when this call wrote the anchor, false when it was already there.
    function anchorRoot(bytes32 chain, uint32 day, bytes32 root) external returns (bool anchored) {
        _requireAnchorer(chain);
        if (root == bytes32(0)) revert ZeroValue();
        _requireDay(day);
        mapping(bytes32 => uint64) storage ofDay = _roots[chain][day];
        if (ofDay[root] != 0) return false;
        Source storage source = _sources[chain];
        if (day < source.latestDay) revert DayBeforeLatest(chain, day, source.latestDay);
        ofDay[root] = uint64(block.timestamp);
        source.latestDay = day;
        source.rootAnchors += 1;
        emit RootAnchored(chain, day, root, msg.sender);
        return true;
    }

    /// @notice True when `who` may anchor for `chain`.
    /// @param chain The source chain id.
    /// @param who The account asked about.
    /// @return allowed Whether `who` is an anchorer of `chain`.
    function isAnchorer(bytes32 chain, address who) external view returns (bool allowed) {
        return _anchorers[chain][who];
    }

    /// @notice The anchor of block `height` of `chain`; a zero hash when none.
    /// @param chain The source chain id.
    /// @param height The source block number.
    /// @return blockHash The anchored hash, or zero.
    /// @return time This chain's block time of the anchoring, or zero.
    function blockAnchor(bytes32 chain, uint64 height) external view returns (bytes32 blockHash, uint64 time) {
        Anchor storage slot = _blocks[chain][height];
        return (slot.value, slot.time);
    }

    /// @notice When `root` was anchored for `day` of `chain`; zero when it was not.
    /// @param chain The source chain id.
    /// @param day The day as YYYYMMDD.
    /// @param root A reconciliation root.
    /// @return time This chain's block time of the anchoring, or zero.
    function rootAnchor(bytes32 chain, uint32 day, bytes32 root) external view returns (uint64 time) {
        return _roots[chain][day][root];
    }

    /// @notice The highest anchored height of `chain`.
    /// @param chain The source chain id.
    /// @return height The latest anchored height (0 when none).
    /// @return anchored False when no block of `chain` was anchored yet.
    function latestHeight(bytes32 chain) external view returns (uint64 height, bool anchored) {
        Source storage source = _sources[chain];
        return (source.latestHeight, source.blockAnchors > 0);
    }

    /// @notice The latest day of `chain` with an anchored root.
    /// @param chain The source chain id.
    /// @return day The latest anchored day as YYYYMMDD (0 when none).
    /// @return anchored False when no root of `chain` was anchored yet.
    function latestDay(bytes32 chain) external view returns (uint32 day, bool anchored) {
        Source storage source = _sources[chain];
        return (source.latestDay, source.rootAnchors > 0);
    }

    /// @notice How many blocks and roots of `chain` are anchored.
    /// @param chain The source chain id.
    /// @return blocks The number of block anchors.
    /// @return roots The number of root anchors.
    function anchorCounts(bytes32 chain) external view returns (uint64 blocks, uint64 roots) {
        Source storage source = _sources[chain];
        return (source.blockAnchors, source.rootAnchors);
    }

    /// @notice A page of the block anchors of `chain` in height order, for verifiers.
    /// @param chain The source chain id.
    /// @param start Index of the first anchor (0 = the oldest).
    /// @param limit The most anchors to return.
    /// @return heights The anchored heights.
    /// @return hashes Their anchored hashes.
    /// @return times Their anchoring times.
    function blockAnchors(
        bytes32 chain,
        uint256 start,
        uint256 limit
    ) external view returns (uint64[] memory heights, bytes32[] memory hashes, uint64[] memory times) {
        uint64[] storage all = _anchoredHeights[chain];
        uint256 end = start >= all.length ? start : start + limit > all.length ? all.length : start + limit;
        heights = new uint64[](end - start);
        hashes = new bytes32[](end - start);
        times = new uint64[](end - start);
        for (uint256 i = start; i < end; i++) {
            Anchor storage slot = _blocks[chain][all[i]];
            (heights[i - start], hashes[i - start], times[i - start]) = (all[i], slot.value, slot.time);
        }
    }

    function _requireAnchorer(bytes32 chain) private view {
        if (!_anchorers[chain][msg.sender]) revert NotAnchorer(chain, msg.sender);
    }

    function _requireDay(uint32 day) private pure {
        uint32 month = (day / 100) % 100;
        uint32 dom = day % 100;
        if (day / 10000 < 1970 || day / 10000 > 9999 || month < 1 || month > 12 || dom < 1 || dom > 31)
            revert InvalidDay(day);
    }
}
