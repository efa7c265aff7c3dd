// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Context} from "@openzeppelin/contracts/utils/Context.sol";

/// @title MemberRegistry
/// @notice The on-chain role registry, as in chaincode/core/identity.ts: roles come from this
/// registry, never from the caller's key material. A member is a secp256k1 account registered
/// under its handle `org:name`; org admins register their own members. The caller is
/// `_msgSender()`: the member who signed a request relayed through the trusted forwarder.
abstract contract MemberRegistry is Context {
    uint8 internal constant REGULATOR = 0;
    uint8 internal constant BANK = 1;
    uint8 internal constant ENTERPRISE = 2;
    uint8 internal constant MERCHANT = 3;
    uint8 internal constant CONSUMER = 4;
    uint8 internal constant AUDITOR = 5;
    uint8 internal constant ORACLE = 6;
    uint8 internal constant COURT = 7;

    /// @notice A registered member: its org (MSP id), name, role bit set and whether it administers its org.
    struct Member {
        string org;
        string name;
        uint256 roles;
        bool admin;
    }

    mapping(address => Member) private _members;
    mapping(bytes32 handle => address) private _byHandle;

    /// @notice `who` was registered (or re-registered) as `org:name`.
    event MemberRegistered(address indexed who, string org, string name, uint256 roles, bool admin);

    /// @notice The caller holds none of the roles in the bit set `roles`.
    error RoleRequired(uint256 roles);
    /// @notice The caller does not administer an org.
    error AdminRequired();
    /// @notice The handle is registered to another account, or the account to another handle.
    error HandleTaken(string handle);
    /// @notice A name or org that is empty or longer than 64 bytes.
    error InvalidName();

    /// @param genesisOrg The first org (MSP id); the deployer becomes its admin.
    /// @param adminName The deployer's member name.
    constructor(string memory genesisOrg, string memory adminName) {
        _register(_msgSender(), genesisOrg, adminName, 0, true);
    }

    /// @notice An org admin registers (or re-registers with other roles) a member of its own org.
    /// @param who The member's account.
    /// @param name The member's name in the org.
    /// @param roles The role bit set.
    /// @param admin Whether the member administers the org.
    function registerMember(address who, string calldata name, uint256 roles, bool admin) external {
        Member storage me = _members[_msgSender()];
        if (!me.admin) revert AdminRequired();
        _register(who, me.org, name, roles, admin);
    }

    /// @notice An org admin admits another org by naming its first admin.
    /// @param orgAdmin The new org's first admin account.
    /// @param org The new org's MSP id.
    /// @param adminName The admin's member name.
    function admitOrg(address orgAdmin, string calldata org, string calldata adminName) external {
        if (!_members[_msgSender()].admin) revert AdminRequired();
        _register(orgAdmin, org, adminName, 0, true);
    }

    /// @notice The member record of `who` (an empty org when not registered).
    /// @param who An account.
    /// @return member Its record.
    function memberOf(address who) external view returns (Member memory member) {
        return _members[who];
    }

    /// @notice The account registered under `handle` (`org:name`), or zero.
    /// @param handle A member handle.
    /// @return who Its account.
    function accountOfHandle(string calldata handle) external view returns (address who) {
        return _accountOfHandle(handle);
    }

    function _accountOfHandle(string memory handle) internal view returns (address) {
        return _byHandle[keccak256(bytes(handle))];
    }

    function _register(address who, string memory org, string memory name, uint256 roles, bool admin) private {
        if (bytes(name).length == 0 || bytes(name).length > 64 || bytes(org).length == 0 || bytes(org).length > 64)
            revert InvalidName();
        string memory handle = string.concat(org, ":", name);
        bytes32 key = keccak256(bytes(handle));
        address holder = _byHandle[key];
        Member storage prior = _members[who];
        bool otherHandle = bytes(prior.org).length != 0 && keccak256(bytes(_handleOf(who))) != key;
        if ((holder != address(0) && holder != who) || otherHandle) revert HandleTaken(handle);
        _byHandle[key] = who;
        _members[who] = Member(org, name, roles, admin);
        emit MemberRegistered(who, org, name, roles, admin);
    }

    /// @dev `org:name` of `who` (":" when not registered).
    function _handleOf(address who) internal view returns (string memory) {
        return string.concat(_members[who].org, ":", _members[who].name);
    }

    function _member(address who) internal view returns (Member storage) {
        return _members[who];
    }

    function _hasRole(address who, uint8 role) internal view returns (bool) {
        return _members[who].roles & (uint256(1) << role) != 0;
    }

    /// @dev The caller, who must hold at least one role of the bit set `roles`.
    function _requireAnyRole(uint256 roles) internal view returns (Member storage) {
        Member storage me = _members[_msgSender()];
        if (me.roles & roles == 0) revert RoleRequired(roles);
        return me;
    }

    /// @dev True when `who` is registered (every member belongs to an org).
    function _isMember(address who) internal view returns (bool) {
        return bytes(_members[who].org).length != 0;
    }
}
