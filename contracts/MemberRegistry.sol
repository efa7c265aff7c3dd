// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title MemberRegistry
/// @notice The on-chain role registry, as in chaincode/core/identity.ts: roles come from this
/// registry, never from the caller's key material. Org admins register their own members.
abstract contract MemberRegistry {
    uint8 internal constant REGULATOR = 0;
    uint8 internal constant BANK = 1;
    uint8 internal constant ENTERPRISE = 2;
    uint8 internal constant MERCHANT = 3;
    uint8 internal constant CONSUMER = 4;
    uint8 internal constant AUDITOR = 5;
    uint8 internal constant ORACLE = 6;

    struct Member {
        bytes32 org;
        uint256 roles; // bit set of role numbers
        bool admin;
    }

    mapping(address => Member) private _members;

    event MemberRegistered(address indexed who, bytes32 indexed org, uint256 roles, bool admin);

    error RoleRequired(uint8 role);
    error AnyRoleRequired(uint256 roles);
    error AdminRequired(bytes32 org);

    constructor(bytes32 genesisOrg) {
        _members[msg.sender] = Member(genesisOrg, 0, true);
        emit MemberRegistered(msg.sender, genesisOrg, 0, true);
    }

    /// @notice An org admin registers (or re-registers) a member of its own org.
    function registerMember(address who, uint256 roles, bool admin) external {
        Member memory me = _members[msg.sender];
        if (!me.admin) revert AdminRequired(me.org);
        _members[who] = Member(me.org, roles, admin);
        emit MemberRegistered(who, me.org, roles, admin);
    }

    /// @notice A genesis admin admits another org by naming its first admin.
    function admitOrg(address orgAdmin, bytes32 org) external {
        if (!_members[msg.sender].admin) revert AdminRequired(_members[msg.sender].org);
        _members[orgAdmin] = Member(org, 0, true);
        emit MemberRegistered(orgAdmin, org, 0, true);
    }

    /// @notice The member record of `who`.
    function memberOf(address who) external view returns (Member memory) {
        return _members[who];
    }

    function _hasRole(address who, uint8 role) internal view returns (bool) {
        return _members[who].roles & (uint256(1) << role) != 0;
    }

    function _requireRole(uint8 role) internal view returns (Member memory) {
        if (!_hasRole(msg.sender, role)) revert RoleRequired(role);
        return _members[msg.sender];
    }

    /// @dev The caller, who must hold at least one role of the bit set `roles`.
    function _requireAnyRole(uint256 roles) internal view returns (Member memory) {
        if (_members[msg.sender].roles & roles == 0) revert AnyRoleRequired(roles);
        return _members[msg.sender];
    }

    /// @dev True when `who` is registered (every member belongs to a non-zero org).
    function _isMember(address who) internal view returns (bool) {
        return _members[who].org != bytes32(0);
    }
}
